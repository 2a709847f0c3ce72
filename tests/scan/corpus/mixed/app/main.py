from sentence_transformers import SentenceTransformer

EMBEDDER = SentenceTransformer("nomic-ai/nomic-embed-text-v1.5", trust_remote_code=True)
