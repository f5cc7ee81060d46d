"""A real S3-speaking server for tests: moto's standalone server on 127.0.0.1 and a free port."""

from __future__ import annotations

import socket
from contextlib import closing

import boto3
import pytest

BUCKET = "portal-test-files"
REGION = "us-east-1"
KEY_ID = "test-key-id"
SECRET = "test-secret-key"


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET
    )


def s3_storages(settings, endpoint: str, bucket: str = BUCKET) -> dict:
    """The STORAGES settings.py builds from STORAGE_S3_* variables, pointed at the test server."""
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": KEY_ID,
                "secret_key": SECRET,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """Every stored file of this test goes to a fresh bucket on the S3 server; yields a client to inspect it."""
    client = s3_client(s3_endpoint)
    bucket = f"{BUCKET}-{free_port()}"
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = s3_storages(settings, s3_endpoint, bucket)
    client.bucket = bucket
    yield client
