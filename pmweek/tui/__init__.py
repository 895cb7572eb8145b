"""The Textual app. A tick is repainted on the next screen update: at Textual's default
60 updates a second that alone is 17 ms, so pmweek asks for 120 (a PM's own
TEXTUAL_FPS wins). Set here, before Textual reads it on first import."""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
