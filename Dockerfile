FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 INSURUP_SANDBOX_PORT=8080
WORKDIR /app
# the dependencies, at the versions requirements.lock pins (tools/lock_image.py), in a layer of their
# own: a code change does not reinstall them, and every build installs the same
COPY pyproject.toml README.md requirements.lock ./
RUN pip install -r requirements.lock
# the package, with the scenarios of the contract suite inside it
COPY mockserver ./mockserver
COPY scenarios ./scenarios
# a non-root user, and a directory it may write for --data-dir (mount a volume there to keep the state)
RUN pip install --no-deps . && useradd --create-home --uid 10001 sandbox && mkdir /data && chown sandbox /data
USER sandbox
VOLUME /data
EXPOSE 8080
# checks the port the sandbox was told to use (INSURUP_SANDBOX_PORT)
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD python -c "import json, os, sys, urllib.request; port = os.environ.get('INSURUP_SANDBOX_PORT', '8080'); sys.exit(0 if json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}/__sandbox/health', timeout=2))['status'] == 'ok' else 1)"
ENTRYPOINT ["insurup-sandbox"]
CMD ["serve", "--host", "0.0.0.0"]
