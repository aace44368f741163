"""Run every code block of every seed page (tools/legacy), one test per block.

A page runs once per session, in a subprocess (see conftest.py); each block's test reports that
block: skipped with the reason (damaged in scraping, needs a display), passed (ran, and its
output matched the page where one is shown), or failed with the block, its code line and the
diff of the output.  These tests need the core library; until it works they fail at
``import theano``.
"""

import pytest
from legacy import extract, runner  # tools/ is put on sys.path by conftest.py

_SEEDS = runner.default_seeds_dir()
PAGES = extract.seed_pages(_SEEDS) if _SEEDS.is_dir() else []


def _block_params():
    params = []
    for path in PAGES:
        for b in extract.extract_page(path):
            ident = "p%s-L%03d-%s" % (
                b.page,
                b.line,
                b.label.replace(" ", "") if b.kind == "jupyter" else b.kind,
            )
            params.append(pytest.param(path, b.key, id=ident))
    return params


@pytest.mark.skipif(not PAGES, reason="no seed pages (../shared/seeds or THEANO_COMPAT_SEEDS)")
@pytest.mark.parametrize("path", [pytest.param(p, id="p" + extract.page_id(p)) for p in PAGES])
def test_page_tables_match_page(path):
    """legacy/pages.py names only blocks that exist (needs no core)."""
    _, _, _, problems = runner.plan_page(path)
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not PAGES, reason="no seed pages (../shared/seeds or THEANO_COMPAT_SEEDS)")
@pytest.mark.parametrize("path,key", _block_params())
def test_block(path, key, legacy_page_runs):
    page = legacy_page_runs.get(path)
    result = page.block(key)
    if result.status == runner.SKIPPED:
        pytest.skip(f"{key}: {result.reason}")
    msg = result.failure_message()
    if page.problems:
        msg += "\npage problems:\n  " + "\n  ".join(page.problems)
    if result.status in runner.FAILED and page.stderr.strip():
        msg += "\npage worker stderr (tail):\n" + runner._tail(page.stderr, 15)
    if not result.ok:
        pytest.fail(msg, pytrace=False)
