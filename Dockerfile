# CX Pulse container image: `cxpulse serve` on port 3000 as a non-root user.
#
# BASE is any Debian-like image with Python 3.11+ and its venv module: the official slim
# image by default; CI builds from a local Debian base made with mmdebstrap (no registry
# there), where the interpreter is /usr/bin/python3. Both are called as `python3` below.
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS deps
# pip checks TLS against the system's CA store, so a build behind a TLS-inspecting proxy
# works once that proxy's CA is in (or mounted over) /etc/ssl/certs/ca-certificates.crt.
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_NO_CACHE=1 \
    UV_NATIVE_TLS=1
# uv installs the same wheels as pip, several times faster; it lives outside the app's venv.
RUN python3 -m venv /opt/venv \
    && python3 -m venv /opt/uv \
    && /opt/uv/bin/pip install --quiet "uv>=0.4,<1"
# Dependencies from pyproject.toml alone, in a stage of their own: a code change leaves
# this stage and its ~600 MB layer in the final image untouched.
COPY pyproject.toml /src/pyproject.toml
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']))" > /src/requirements.txt \
    && /opt/uv/bin/uv pip install --quiet --python /opt/venv/bin/python --compile-bytecode \
        -r /src/requirements.txt \
    && echo /opt/cxpulse > "$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/cxpulse.pth"

# CX Pulse itself goes into /opt/cxpulse (the venv finds it through cxpulse.pth above), its
# `cxpulse` command into /opt/cxpulse/bin, run by the venv's Python.
FROM deps AS app
COPY . /src
RUN /opt/uv/bin/uv pip install --quiet --python /opt/venv/bin/python --compile-bytecode \
        --no-deps --target /opt/cxpulse /src

FROM ${BASE}
# A fixed uid/gid so volume permissions are predictable across hosts and rebuilds.
ARG UID=10001
# Japanese chart labels need a font with its glyphs (DejaVu Sans, matplotlib's own, has
# none): Debian's IPAGothic, 3.5 MB, the one the tests draw with. Nothing else from apt.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends fonts-ipafont-gothic \
    && rm -rf /var/lib/apt/lists/*
# useradd is in the slim image and in Debian's minbase; both keep /etc/passwd as the source.
RUN groupadd --gid "${UID}" cxpulse \
    && useradd --uid "${UID}" --gid cxpulse --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin cxpulse \
    && mkdir -p /data \
    && chown cxpulse:cxpulse /data
COPY --from=deps /opt/venv /opt/venv
COPY --from=app /opt/cxpulse /opt/cxpulse
ENV PATH=/opt/cxpulse/bin:/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/cxpulse.db \
    PORT=3000
WORKDIR /data
VOLUME ["/data"]
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER ${UID}:${UID}
EXPOSE 3000
# `exec` replaces the shell: cxpulse gets the signals sent to the container (SIGTERM).
# --port from PORT keeps the override working whether or not the app reads PORT itself.
CMD ["sh", "-c", "exec cxpulse serve --port \"${PORT:-3000}\""]
