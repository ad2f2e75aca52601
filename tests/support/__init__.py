"""Test helpers shared by every package's tests.

``from tests.support.openai_server import OpenAIServer`` gives a real OpenAI-compatible server.
"""
