"""Custom Rasa input channels: the website widget (socket.io), Telegram and Slack."""
