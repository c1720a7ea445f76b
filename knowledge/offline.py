"""Force every library this process loads to stay off the network."""

from __future__ import annotations

import os

# Set before sentence-transformers, transformers or chromadb are imported: a model name that
# slipped through then fails at once instead of retrying a hub for a minute.
_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TRACELOOP_TELEMETRY": "false",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    # Busy-waiting OpenMP threads steal the other core from the web server under load.
    "OMP_WAIT_POLICY": "PASSIVE",
}


def enforce_offline() -> None:
    """Set the offline and no-telemetry environment for this process."""
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value


enforce_offline()
