"""Reliability tooling: a served API under bounded load, a Neo4j that can be stopped mid-run, hostile inputs.

Used by the fast tests (``tests/test_reliability_*.py``, run by ``make test``) and
by the long run (``python -m reliability``, run by ``make reliability``); see
``docs/reliability.md``.

Modules
-------
server
    :func:`~reliability.server.served`: a real ``chainkg serve`` subprocess on a free loopback port.
load
    :func:`~reliability.load.run_load`: N concurrent clients for T seconds, bounded in count and time.
neo4j
    :class:`~reliability.neo4j.DedicatedNeo4j`: a Neo4j of its own (own port and folder) to stop and restart.
faults
    :func:`~reliability.faults.neo4j_outage`: stop Neo4j under a served API, check 503s and recovery.
hostile
    Cypher-injection, XSS, path-traversal and Unicode strings.

Every request goes to 127.0.0.1 only; every loop stops by itself.
"""
