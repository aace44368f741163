"""Legacy path ``theano.gof.toolbox``: FunctionGraph features (facade)."""

import inspect  # noqa: F401 - names of Theano's module
import sys  # noqa: F401
import time  # noqa: F401
from collections import OrderedDict  # noqa: F401
from functools import partial  # noqa: F401
from io import StringIO  # noqa: F401

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401

from ..compile.debugmode import BadOptimization  # noqa: F401
from ..config import config  # noqa: F401
from ..graph.features import (  # noqa: F401
    AlreadyThere,
    Bookkeeper,
    Feature,
    GetCheckpoint,
    History,
    LambdExtract,
    NodeFinder,
    NoOutputFromInplace,
    PreserveNames,
    PreserveVariableAttributes,
    PrintListener,
    ReplacementDidntRemovedError,
    ReplaceValidate,
    Validator,
)
from ..graph.basic import is_same_graph  # noqa: F401
from . import graph  # noqa: F401
