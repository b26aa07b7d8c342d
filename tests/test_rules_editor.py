"""What an editor shows for a rules file: yaml-language-server, run over stdio as VS Code,
Neovim and Helix run it, with the schema `followup schema` writes, named on the file's
first line.

The server is the npm package in tests/js (installed by tests/run); the test speaks
the Language Server Protocol to it and reads the diagnostics it publishes.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.rules.model import json_schema
from tests.conftest import ROOT

SERVER = ROOT / "tests" / "js" / "node_modules" / "yaml-language-server" / "bin"
MODELINE = "# yaml-language-server: $schema=./followup-rules.schema.json\n"
WAIT = 60.0
"""Seconds to wait for one answer of the server (it answers in well under one)."""


class Editor:
    """A client of yaml-language-server over stdio: open a document, read its diagnostics."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.process = subprocess.Popen(
            ["node", str(SERVER / "yaml-language-server"), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": folder.as_uri(),
                "capabilities": {"textDocument": {"publishDiagnostics": {}}},
                "workspaceFolders": [{"uri": folder.as_uri(), "name": "rules"}],
            },
        )
        self.notify("initialized", {})
        self.notify(
            "workspace/didChangeConfiguration",
            {"settings": {"yaml": {"validate": True, "schemaStore": {"enable": False}}}},
        )

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def _wait(self, wanted: Any) -> dict[str, Any]:
        while True:
            try:
                message = self.messages.get(timeout=WAIT)
            except Empty:
                raise AssertionError("yaml-language-server did not answer") from None
            if "method" in message and "id" in message:  # the server asks: settings
                answer = [{"validate": True}] * len(message["params"].get("items", [1]))
                result = answer if message["method"] == "workspace/configuration" else None
                self._send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return message

    def diagnostics(self, name: str, text: str) -> list[dict[str, Any]]:
        """What the editor marks in ``text``, saved as ``name`` beside the schema."""
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        found = self._wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return list(found["params"]["diagnostics"])

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("editor")
    schema = json.dumps(json_schema(), indent=2, sort_keys=True)
    (folder / "followup-rules.schema.json").write_text(schema, encoding="utf-8")
    client = Editor(folder)
    yield client
    client.close()


GOOD = (
    MODELINE
    + """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: "Thank {{ company or 'them' }}"
    when: { from: end, offset: 1 day, at: "09:00" }
"""
)


def marks(editor: Editor, name: str, text: str) -> list[tuple[int, str]]:
    return [(d["range"]["start"]["line"] + 1, d["message"]) for d in editor.diagnostics(name, text)]


def test_a_good_rules_file_shows_no_mark_in_the_editor(editor: Editor) -> None:
    assert marks(editor, "good.yaml", GOOD) == []


def test_a_time_amount_that_does_not_parse_shows_a_sentence_not_the_regex(
    editor: Editor,
) -> None:
    found = marks(editor, "offset.yaml", GOOD.replace("offset: 1 day", "offset: 1 fortnight"))
    assert found, "the editor marks nothing"
    line, message = found[0]
    assert line == 7
    assert "Write an amount of time like '45m', '2 hours', '1 day'" in message
    assert len(message) < 200 and "[" not in message.split("'")[0]


def test_a_negative_duration_is_marked_in_the_editor(editor: Editor) -> None:
    found = marks(editor, "duration.yaml", GOOD + "    duration: -15m\n")
    assert [line for line, _ in found] == [8]
    assert "a duration cannot be negative" in found[0][1]
    alarm = marks(editor, "alarm.yaml", GOOD + "    alarm: { before: -10m }\n")
    assert [line for line, _ in alarm] == [8]
    assert "cannot be negative" in alarm[0][1] and len(alarm[0][1]) < 200


def test_a_bad_time_of_day_and_a_bad_rule_id_read_as_advice(editor: Editor) -> None:
    found = marks(
        editor,
        "clock.yaml",
        GOOD.replace('at: "09:00"', 'at: "9.30"').replace("id: thank-you", "id: Thank_You"),
    )
    messages = " | ".join(message for _, message in found)
    assert "Write a time of day as HH:MM" in messages
    assert "A rule id starts with a letter" in messages
    assert "does not match the pattern" not in messages


def test_a_duplicate_id_is_left_to_check_which_names_the_first(
    editor: Editor, tmp_path: Path
) -> None:
    # JSON Schema compares whole items, not one key of them: a list of rules with the
    # same id twice is valid to the editor; `followup check` refuses it.
    text = GOOD + GOOD.split("rules:\n", 1)[1]
    assert marks(editor, "twice.yaml", text) == []
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit)
    assert "rule id 'thank-you' is used twice; the first is on line 5" in result.output
