"""The cluster report lists its supply links with other clusters (review 13: only one sentence named the clusters)."""

from __future__ import annotations

import re

import pytest

from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.cluster_links import cluster_links
from reports.gather import cluster_report
from reports.html import render_cluster_report


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def rows(html: str) -> list[tuple[str, str, list[str]]]:
    """The cross-links table: (direction, other cluster, each link's HTML) per row, one row per cluster pair."""
    found = re.search(r'<table class="cross-links">(.*?)</table>', html, flags=re.S)
    if not found:
        return []
    body = found.group(1).split("<tbody>")[1]
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        direction, other, links = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        out.append(
            (
                text(direction),
                text(other),
                re.findall(r'<span class="cross-link">(.*?</sup>|.*?)</span>(?:；|$)', links),
            )
        )
    return out


@pytest.mark.parametrize("cluster", ["nev", "electronics", "new-materials", "biomedicine"])
def test_every_cross_cluster_link_is_a_row_with_its_direction_and_sources(bundled_store: MemoryStore, cluster: str):
    html = render_cluster_report(cluster_report(bundled_store, cluster)).html
    pairs = cluster_links(bundled_store, cluster)
    table = rows(html)
    assert len(table) == len(pairs), cluster
    for pair, (direction, other, shown) in zip(pairs, table, strict=True):
        inward = pair["target_cluster"] == cluster
        assert direction.startswith("供给本集群" if inward else "本集群供给"), (cluster, direction)
        assert other == (pair["source_cluster_name_zh"] if inward else pair["target_cluster_name_zh"])
        assert len(shown) == len(pair["links"]), (cluster, other)
        for link, fragment in zip(pair["links"], shown, strict=True):
            assert text(fragment).startswith(f"{link['source_name_zh']} → {link['target_name_zh']}"), fragment
            assert ("待核实" in fragment) == (link["confidence"] != "sourced"), fragment
            numbers = re.findall(r'href="#src-(\d+)"', fragment)
            assert bool(numbers) == bool(link["sources"]), (fragment, link["sources"])
            for number in numbers:  # each reference resolves to an entry of the sources appendix
                assert f'id="src-{number}"' in html, number


def test_a_cluster_without_cross_links_has_no_table(bundled_store: MemoryStore):
    lonely = [c.id for c in bundled_store.nodes(NodeKind.CLUSTER) if not cluster_links(bundled_store, c.id)]
    for cluster in lonely:
        assert 'class="cross-links"' not in render_cluster_report(cluster_report(bundled_store, cluster)).html
