"""What a server deployment depends on stays consistent: every configuration variable is in
the README's table, and compose.yaml wires the assistant to the Chroma server and Ollama with
variables the configuration knows. (Compose itself cannot run here; Chroma server mode and a
remote OLLAMA_HOST are tested on loopback in test_index.py and test_generative.py.)"""
import re

from assistant.config import ROOT

CONFIG = (ROOT / "assistant" / "config.py").read_text(encoding="utf-8")
VARIABLES = set(re.findall(r'"((?:ASSISTANT|OLLAMA)_[A-Z_]+)"', CONFIG))


def test_every_configuration_variable_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    assert VARIABLES and not [v for v in sorted(VARIABLES) if f"`{v}`" not in table]


def test_compose_wires_the_assistant_to_chroma_and_ollama():
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assistant = compose[compose.index("\n  assistant:"):]
    used = set(re.findall(r"^\s+((?:ASSISTANT|OLLAMA)_[A-Z_]+):", assistant, re.M))
    assert used <= VARIABLES, used - VARIABLES
    assert "ASSISTANT_CHROMA_URL: http://chroma:8000" in assistant and "--port 8000" in compose
    assert "OLLAMA_HOST: http://ollama:11434" in assistant
    # it listens beyond loopback, so a password is required (serve refuses to start without one)
    assert "--host 0.0.0.0" in assistant and "ASSISTANT_AUTH: ${ASSISTANT_AUTH:?" in assistant
    assert compose.count("-c constraints.txt") == 2  # both pip installs use the pinned versions
