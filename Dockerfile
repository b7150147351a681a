# The chainkg app image (used by docker-compose.yml, which runs it against the `neo4j` service).
# It holds the code and the bundled data; at start it loads the data into Neo4j if Neo4j holds no graph
# yet (--if-empty: a restart keeps the graph and its imports) and serves on 8000.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . /app
# Editable, so that the bundled data folder (data/changzhou) stays where chainkg looks for it.
RUN pip install -e . && useradd --create-home --uid 10001 chainkg
USER chainkg

ENV CHAINKG_HOST=0.0.0.0 CHAINKG_PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "chainkg load data/changzhou --backend neo4j --if-empty && exec chainkg serve"]
