"""Preload for the Dask workers of a sweep: ``dask worker tcp://HOST:8786 --preload asean_analysis.worker``.

A notebook task needs papermill, nbclient, jupyter_client and nbformat: seconds of imports, which a
worker otherwise pays inside its first task, in the sweep's time. With this preload it pays them
once, when it starts. (The command line itself stays light: it imports none of these.)
"""

import jupyter_client.manager  # noqa: F401
import nbclient  # noqa: F401
import nbformat  # noqa: F401
import papermill  # noqa: F401

from . import runner  # noqa: F401
