FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
RUN pip install . && useradd --create-home --uid 10001 sandbox
USER sandbox
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/__sandbox/health', timeout=2).status == 200 else 1)"
ENTRYPOINT ["insurup-sandbox"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
