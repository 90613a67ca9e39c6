"""Where the shared data sets live: ``$FRAUDRISK_DATA_DIR`` or ``../shared/data``."""

import os
from pathlib import Path


def data_dir():
    """Return the data folder: ``$FRAUDRISK_DATA_DIR``, else ``../shared/data`` from the cwd.

    Returns
    -------
    pathlib.Path
        The folder (it may not exist; callers check).
    """
    configured = os.environ.get("FRAUDRISK_DATA_DIR")
    return Path(configured) if configured else Path.cwd().parent / "shared" / "data"
