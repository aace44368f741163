"""Where the pages come from.

* **Theano 1.0.5's tutorial**: every ``doc/tutorial/*.txt`` page of the ``theano==1.0.5``
  sdist.  The sdist is the one the conformance runner uses: downloaded with pip at run time
  by ``tools/conformance/run.py``'s :func:`fetch_sdist` into its cache outside the repository
  (``$THEANO_COMPAT_CONFORMANCE_CACHE``, default ``~/.cache/theano-compat/conformance``).
  The tutorial pages are extracted next to it (``<cache>/docs/tutorial``); nothing of Theano
  is ever imported or committed.  ``--docs DIR`` (or ``$THEANO_COMPAT_TUTORIAL_DOCS``) points
  at an unpacked ``doc/tutorial`` folder instead.
* **Seed pages**: the scraped pages of ``../shared/seeds`` (``--seeds DIR`` or
  ``$THEANO_COMPAT_SEEDS``), when that folder exists.  A fresh clone has none; the tutorial
  pages still run.
"""

from __future__ import annotations

import importlib.util
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

from . import extract

__all__ = [
    "Page",
    "conformance_module",
    "default_seeds_dir",
    "seed_pages",
    "tutorial_dir",
    "tutorial_pages",
]

REPO = Path(__file__).resolve().parents[2]
CONFORMANCE_RUN = REPO / "tools" / "conformance" / "run.py"
DOCS_SUBDIR = "doc/tutorial/"
DOCS_VERSION = "1"  # bump when the extraction changes, to rebuild the cached pages

_module = None


@dataclass(frozen=True)
class Page:
    """A page file and how to read it: ``sphinx`` (reST source of the Theano docs, read as
    Sphinx's doctest builder does) or ``scrape`` (a scraped web page)."""

    path: Path
    flavor: str  # "sphinx" | "scrape"
    source: str  # "tutorial" | "seeds"

    @property
    def id(self) -> str:
        return extract.page_id(self.path)


def conformance_module():
    """``tools/conformance/run.py`` loaded as a module (its download helpers)."""
    global _module
    if _module is None:
        spec = importlib.util.spec_from_file_location("_theano_conformance_run", CONFORMANCE_RUN)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _module = mod
    return _module


def default_seeds_dir() -> Path:
    env = os.environ.get("THEANO_COMPAT_SEEDS")
    return Path(env) if env else REPO.parent / "shared" / "seeds"


def seed_pages(seeds_dir=None) -> list:
    seeds = Path(seeds_dir) if seeds_dir else default_seeds_dir()
    if not seeds.is_dir():
        return []
    return [Page(p, "scrape", "seeds") for p in extract.seed_pages(seeds)]


def _cached_tarball(cache: Path):
    found = sorted((cache / "sdist").glob("[Tt]heano-1.0.5.tar.gz"))
    return found[0] if found else None


def tutorial_dir(fetch: bool = True):
    """The folder of Theano 1.0.5's tutorial pages, extracted from the cached sdist (downloaded
    first when *fetch* and not cached yet).  None when not cached and not *fetch*."""
    env = os.environ.get("THEANO_COMPAT_TUTORIAL_DOCS")
    if env:
        return Path(env)
    conf = conformance_module()
    cache = conf.cache_dir()
    target = cache / "docs" / "tutorial"
    marker = target / ".complete"
    if marker.exists() and marker.read_text() == DOCS_VERSION:
        return target
    tarball = _cached_tarball(cache)
    if tarball is None:
        if not fetch:
            return None
        tarball = conf.fetch_sdist(cache)
    target.mkdir(parents=True, exist_ok=True)
    prefix = conf.SDIST_TOP + "/" + DOCS_SUBDIR
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            rel = member.name[len(prefix) :] if member.name.startswith(prefix) else None
            if not member.isfile() or not rel or "/" in rel or not rel.endswith(".txt"):
                continue
            with tar.extractfile(member) as src:
                (target / rel).write_bytes(src.read())
    marker.write_text(DOCS_VERSION)
    return target


def tutorial_pages(docs_dir=None, fetch: bool = True) -> list:
    """Every tutorial page (``*.txt``), in name order."""
    folder = Path(docs_dir) if docs_dir else tutorial_dir(fetch)
    if folder is None or not folder.is_dir():
        return []
    return [Page(p, "sphinx", "tutorial") for p in sorted(folder.glob("*.txt"))]
