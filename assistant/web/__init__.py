"""Helpers of the web chat: wording, turn cards, the guided cookie check, history and login."""
