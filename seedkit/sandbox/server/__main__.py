"""Entry point: ``python -I seedkit/sandbox/server``.

Loads this directory as the private package ``_seedkit_sandbox_server`` and runs its main loop.
The directory itself is taken off ``sys.path`` first, so that its modules (``seccomp``,
``mounts``, ...) can never be what a job's ``import`` finds.
"""

import importlib
import importlib.util
import os
import sys

PACKAGE = "_seedkit_sandbox_server"


def load():  # noqa: ANN201
    """Import this directory as :data:`PACKAGE` (idempotent); returns the package."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    spec = importlib.util.spec_from_file_location(PACKAGE, os.path.join(here, "__init__.py"),
                                                  submodule_search_locations=[here])
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)
    return package


if __name__ == "__main__":
    load()
    importlib.import_module(PACKAGE + ".main").run()
