"""Write engine/read/data/lexicon.json, the compiled form of the vocabularies' TOML files.

python tests/lexicon_build.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from followup.engine.read.lexicon import LANGUAGES, compile_lexicon  # noqa: E402

DATA = ROOT / "engine" / "read" / "data"


def sources() -> dict[str, str]:
    return {lang: (DATA / f"{lang}.toml").read_text(encoding="utf-8") for lang in LANGUAGES}


def compiled_text() -> str:
    return json.dumps(compile_lexicon(sources()), ensure_ascii=False, sort_keys=True, indent=1)


if __name__ == "__main__":
    (DATA / "lexicon.json").write_text(compiled_text() + "\n", encoding="utf-8")
    print(f"wrote {DATA / 'lexicon.json'}")
