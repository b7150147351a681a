"""chainkg: an industry-chain knowledge graph of Changzhou's advanced-manufacturing clusters."""

__version__ = "0.1.0"
