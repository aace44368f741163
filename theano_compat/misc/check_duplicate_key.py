"""theano.misc.check_duplicate_key: statistics on Theano's C-module compile cache (how many
cache entries share a key.pkl or a mod.cpp).

This package compiles no C modules and keeps no such cache, so the statistics below are
those of an empty cache; running the module as a script (or calling ``main``) raises
NotImplementedError.
"""

DISPLAY_DUPLICATE_KEYS = False
DISPLAY_MOST_FREQUENT_DUPLICATE_CCODE = False

dirs = []             # the cache entries examined
keys = {}             # key.pkl content -> copies
mods = {}             # mod.cpp content -> keys
nbs_keys = {}         # copies -> how many keys
nbs_mod = {}          # copies -> how many mod.cpp
nbs_mod_to_key = {}   # copies -> keys
more_than_one = 0
l = []
total = uniq = useless = 0


def main(compiledirs=None):
    """Theano's script body: scan the compile cache(s) and print duplicate statistics."""
    raise NotImplementedError(
        "theano.misc.check_duplicate_key examines Theano's cache of compiled C modules; "
        "theano_compat generates no C code and has no such cache, so there is nothing to "
        "check (compiled functions are cached in memory per process only).")


if __name__ == "__main__":
    main()
