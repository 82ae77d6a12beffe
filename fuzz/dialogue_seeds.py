#!/usr/bin/env python3
"""Seeds for dialogue_fuzzer: each scripted call as the fuzzer's line format (see the fuzzer)."""
import os
import sys
import tomllib

CONTRACTS = {"after-hours-service": 0, "missed-call-booking": 1, "ops-line": 2}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    written = 0
    for path in sys.argv[2:]:
        if path.endswith("pack.toml"):
            continue
        try:
            with open(path, "rb") as f:
                call = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        folder = os.path.basename(os.path.dirname(path))
        which = next((i for name, i in CONTRACTS.items() if name in folder), 0)
        lines = [f"{which} 1"]
        for turn in call.get("turn", []):
            if "say" in turn:
                conf = turn.get("confidence")
                prefix = f"@{conf:.2f} " if conf is not None else ""
                lines.append(prefix + turn["say"].replace("\n", " "))
            elif "dtmf" in turn:
                lines.append("#" + turn["dtmf"])
            elif turn.get("hangup"):
                lines.append("^")
            else:
                lines.append("")
        name = f"{folder}-{os.path.basename(path)[:-5]}"
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(lines))
        written += 1
    print(f"dialogue seeds: {written}")


if __name__ == "__main__":
    main()
