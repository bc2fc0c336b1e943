"""Drop alerts: a team's lead is told when the team's mood falls sharply."""
