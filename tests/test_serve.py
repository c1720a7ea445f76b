"""``kompas serve`` serves the page and answers through Chainlit's own socket protocol."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_client import ChatClient
from helpers import KOMPAS, ROOT, free_port, wait_until_up

pytestmark = pytest.mark.slow


@pytest.fixture
def server(built_index: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "KOMPAS_CHROMA": str(built_index),
        "KOMPAS_CHECKPOINTER": str(tmp_path / "web.sqlite"),
        "CHAINLIT_APP_ROOT": str(ROOT),
    }
    proc = subprocess.Popen(
        [KOMPAS, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert b"Kompas" in wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        # No message text in the server log by default.
        assert "nieuwsbrief" not in output


def test_page_answers_the_register_question_with_a_cited_verdict(server: str) -> None:
    async def talk() -> dict[str, str]:
        client = ChatClient(server)
        await client.connect()
        try:
            return await client.send(
                "Moet ik als eenmanszaak met een nieuwsbrief een verwerkingsregister bijhouden?"
            )
        finally:
            await client.close()

    reply = asyncio.run(talk())
    # The web chat shows a verdict as a card (verdict first); its sources come as a linked
    # element beside the text (tests/e2e checks the links in the browser).
    assert reply["output"].startswith("#### Oordeel\n\n**Ja")
    assert "#### Waarom" in reply["output"]


def test_buttons_come_with_a_clarifying_question(server: str) -> None:
    async def talk() -> dict[str, object]:
        client = ChatClient(server)
        await client.connect()
        try:
            return await client.send("Dois-je tenir un registre des traitements ?")
        finally:
            await client.close()

    reply = asyncio.run(talk())
    assert "Combien de personnes" in str(reply["output"])
