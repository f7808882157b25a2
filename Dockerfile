FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 INSURUP_SANDBOX_PORT=8080
WORKDIR /app
# the dependencies in a layer of their own: a code change does not reinstall them
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt && pip install -r /tmp/requirements.txt
# the package, with the scenarios of the contract suite inside it
COPY mockserver ./mockserver
COPY scenarios ./scenarios
RUN pip install --no-deps . && useradd --create-home --uid 10001 sandbox
USER sandbox
EXPOSE 8080
# checks the port the sandbox was told to use (INSURUP_SANDBOX_PORT)
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD python -c "import os, sys, urllib.request; port = os.environ.get('INSURUP_SANDBOX_PORT', '8080'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/__sandbox/health', timeout=2).status == 200 else 1)"
ENTRYPOINT ["insurup-sandbox"]
CMD ["serve", "--host", "0.0.0.0"]
