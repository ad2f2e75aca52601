"""Settings: the instance secret generated once per data directory, whoever asks for it first."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from balise.config import Settings


def test_everyone_starting_together_on_a_new_data_dir_gets_the_same_secret(tmp_path: Path) -> None:
    """Web workers and `balise worker` may start at once; threads race the same way as processes."""
    data_dir = tmp_path / "var"
    start = threading.Barrier(8)

    def read_key(_index: int) -> str:
        settings = Settings(data_dir=data_dir, secret_key="")
        start.wait(timeout=60)
        first = settings.resolved_secret_key
        return first if settings.resolved_secret_key == first else "changed"

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(read_key, range(8)))
    (key,) = keys
    assert len(key) > 40 and key == (data_dir / "secret.key").read_text()
    assert [p.name for p in data_dir.iterdir()] == ["secret.key"]  # no draft left behind
    assert (data_dir / "secret.key").stat().st_mode & 0o777 == 0o600
