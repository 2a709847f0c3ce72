"""Embedding service.

The default used to be sentence-transformers/paraphrase-MiniLM-L3-v2 (see the changelog).
"""
import transformers
from huggingface_hub import hf_hub_download, snapshot_download
from peft import PeftModel
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

BASE_MODEL = "Qwen/Qwen2.5-7B-Instruct"
ADAPTER = "acme-ai/qwen-support-lora"

# tokenizer = AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B")  (old)


def load_generator():
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL)
    model = AutoModelForCausalLM.from_pretrained(BASE_MODEL, torch_dtype="auto")
    model = PeftModel.from_pretrained(model, ADAPTER)
    return tokenizer, model


def load_rankers():
    name = "BAAI/bge-reranker-v2-m3"
    reranker = CrossEncoder(name)
    embedder = SentenceTransformer("all-MiniLM-L6-v2")
    classifier = pipeline("text-classification", model="ProsusAI/finbert")
    summariser = transformers.pipeline("summarization", "facebook/bart-large-cnn")
    return reranker, embedder, classifier, summariser


def fetch_weights():
    hf_hub_download(repo_id="TheBloke/Mistral-7B-Instruct-v0.2-GGUF", filename="model.gguf")
    snapshot_download(repo_id="deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")
    local = AutoModelForCausalLM.from_pretrained("./checkpoints/final")
    return local
