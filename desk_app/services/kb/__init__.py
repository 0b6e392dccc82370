"""The knowledge base (政策问答): searching the answers, logging questions, and editing answers under review."""
