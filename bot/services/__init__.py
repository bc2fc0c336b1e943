"""Domain services: plain typed functions over a SQLAlchemy session, no Slack imports."""
