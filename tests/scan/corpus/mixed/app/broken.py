def broken(:
    return SentenceTransformer("BAAI/bge-large-en-v1.5")
