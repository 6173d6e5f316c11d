"""Writes the Rasa credentials file for the channels the environment switches on.

Usage: python scripts/write_credentials.py OUTPUT_PATH
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from channels.credentials import (  # noqa: E402
    REST_CHANNEL,
    SLACK_CHANNEL,
    TELEGRAM_CHANNEL,
    WEB_WIDGET_CHANNEL,
    ChannelConfigurationError,
    credentials_from_environment,
    write_credentials,
)

CHANNEL_LABELS = {
    REST_CHANNEL: "REST",
    WEB_WIDGET_CHANNEL: "website widget",
    TELEGRAM_CHANNEL: "Telegram",
    SLACK_CHANNEL: "Slack",
}


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "var/credentials.yml")
    try:
        write_credentials(output)
    except ChannelConfigurationError as error:
        print(f"Channel configuration: {error}", file=sys.stderr)
        return 2
    channels = [CHANNEL_LABELS[name] for name in credentials_from_environment()]
    print(f"Channels on: {', '.join(channels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
