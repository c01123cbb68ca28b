"""Sessions and rate limits live in the data dir by default and in Redis
when REDIS_URL is set (several machines share them)."""

import uuid

import pytest
from litestar.stores.file import FileStore

from app.config import load_settings
from app.web.app import make_store


def settings_for(tmp_path, **extra):
    return load_settings({"WERKPAS_DATA_DIR": str(tmp_path), "WERKPAS_SECRET_KEY": "k" * 40, **extra})


async def test_file_store_in_data_dir_is_shared_between_instances(tmp_path):
    settings = settings_for(tmp_path)
    first, second = make_store(settings, "sessions"), make_store(settings, "sessions")
    assert isinstance(first, FileStore)
    await first.set("key", b"value", expires_in=60)
    assert await second.get("key") == b"value"  # another process would see the same file
    assert (tmp_path / "sessions").is_dir()


async def test_redis_store_when_configured(tmp_path):
    redis = pytest.importorskip("redis.asyncio")
    client = redis.Redis(host="127.0.0.1", port=6379)
    try:
        await client.ping()
    except Exception:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    finally:
        await client.aclose()
    settings = settings_for(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    store = make_store(settings, "limits")
    key = f"test-{uuid.uuid4().hex}"
    try:
        await store.set(key, b"3", expires_in=30)
        assert await make_store(settings, "limits").get(key) == b"3"
        assert await make_store(settings, "sessions").get(key) is None  # namespaces are separate
        assert not (tmp_path / "limits").exists()
    finally:
        await store.delete(key)
