"""``rasa data validate --fail-on-warnings``, failing on every warning it prints.

Rasa 3.6 fails on some of its warnings only: an unused response or intent, or a
domain intent without training examples, is printed and passes. This runs
Rasa's own validation in-process, records every warning, and fails when one is
left after the checks Rasa cannot make because it does not read the code:

* a response "not used in any story or rule" is used when the code names it
  (a string or f-string in ``actions/`` or ``runtime/``) or a form asks with it
  (``utter_ask_<slot>`` of a required slot);
* an intent "not used in any story or rule" is used when a slot mapping or the
  code (a string in ``actions/``) names it;
* an intent "not found in the NLU training data" is right for the intents only
  the desk triggers (``contract.vocabulary.DELIVERY_INTENTS``): no text may ever
  be classified as one;
* "duplicated intents ... across multiple domain files" is Rasa's importer adding
  a retrieval intent of the NLU data to the domain a second time.

Usage: ``.venv/bin/python scripts/validate_data.py`` (``make test`` runs it).
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path
from typing import Iterable, List, Set

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from contract.vocabulary import DELIVERY_INTENTS  # noqa: E402

CODE_FOLDERS = ("actions", "runtime")
UNUSED_RESPONSE = re.compile(r"The utterance '([^']+)' is not used in any story or rule\.")
UNUSED_INTENT = re.compile(r"The intent '([^']+)' is not used in any story or rule\.")
NO_EXAMPLES = re.compile(r"The intent '([^']+)' is listed in the domain file, but is not found in the NLU")
DUPLICATED_INTENTS = re.compile(r"The following duplicated intents have been found across multiple domain files: (.+)")


def _starts_with_a_name(node: ast.JoinedStr) -> bool:
    """An f-string such as ``f"utter_sorry_{category}"``: a response name with a part filled in."""
    first = node.values[0] if node.values else None
    return isinstance(first, ast.Constant) and str(first.value).startswith("utter_")


def strings_in_code(folders: Iterable[str] = CODE_FOLDERS) -> List[re.Pattern]:
    """Every string the code writes: constants as they are, response-name f-strings as patterns."""
    found: List[re.Pattern] = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.append(re.compile(re.escape(node.value)))
                elif isinstance(node, ast.JoinedStr) and _starts_with_a_name(node):
                    parts = [re.escape(v.value) if isinstance(v, ast.Constant) else r"\w+" for v in node.values]
                    found.append(re.compile("".join(parts)))
    return found


def asked_by_forms(domain: dict) -> Set[str]:
    """``utter_ask_<slot>`` of every slot a form requires."""
    return {f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values()
            for slot in (form or {}).get("required_slots") or []}


def intents_in_slot_mappings(domain: dict) -> Set[str]:
    """Intents that slot mappings read (``intent:`` of a mapping or of its conditions)."""
    found: Set[str] = set()
    for slot in (domain.get("slots") or {}).values():
        for mapping in slot.get("mappings") or []:
            for key in ("intent", "not_intent"):
                value = mapping.get(key)
                found.update(value if isinstance(value, list) else [value] if value else [])
    return found


def retrieval_intents() -> Set[str]:
    """Intents of the NLU data written as ``<intent>/<topic>``."""
    found = set()
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "/" in str(block.get("intent", "")):
                found.add(block["intent"].split("/", 1)[0])
    return found


def left_over(messages: Iterable[str], domain: dict) -> List[str]:
    """The warnings that none of the checks above accounts for."""
    code, forms, mapped = strings_in_code(), asked_by_forms(domain), intents_in_slot_mappings(domain)
    left = []
    for message in messages:
        response = UNUSED_RESPONSE.search(message)
        intent = UNUSED_INTENT.search(message)
        no_examples = NO_EXAMPLES.search(message)
        duplicated = DUPLICATED_INTENTS.search(message)
        if response and (response.group(1) in forms or any(p.fullmatch(response.group(1)) for p in code)):
            continue
        if intent and (intent.group(1) in mapped or any(p.fullmatch(intent.group(1)) for p in code)):
            continue
        if no_examples and no_examples.group(1) in DELIVERY_INTENTS.values():
            continue
        if duplicated and set(duplicated.group(1).split(", ")) <= retrieval_intents():
            continue
        left.append(message)
    return left


def main() -> int:
    """Validate; print every warning that is left; 1 when there is one (or Rasa found an error)."""
    import rasa.cli.utils
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"), domain_path=str(ROOT / "domain.yml"), training_data_paths=[str(ROOT / "data")]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            rasa.cli.utils.validate_files(True, None, importer)
        except SystemExit as exit_:
            if exit_.code:
                print("rasa data validate found errors (above)")
                return 1
    rasa_warnings = [str(w.message) for w in caught if w.filename.endswith("rasa/shared/utils/io.py")]
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    left = left_over(rasa_warnings, domain)
    for message in left:
        print(f"WARNING: {message}")
    print(f"{len(rasa_warnings)} warnings from Rasa, {len(left)} not accounted for")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
