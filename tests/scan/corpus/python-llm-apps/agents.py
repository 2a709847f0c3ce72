import os

import litellm
from langchain_community.embeddings import HuggingFaceEmbeddings
from langchain_community.llms import Ollama
from langchain_openai import ChatOpenAI
from llama_index.llms.openai_like import OpenAILike
from openai import OpenAI

DEEPSEEK_URL = "https://api.deepseek.com"

client = OpenAI(base_url=DEEPSEEK_URL, api_key=os.environ["DEEPSEEK_API_KEY"])


def review(code: str) -> str:
    reply = client.chat.completions.create(
        model="deepseek-reasoner",
        messages=[{"role": "user", "content": code}],
    )
    return reply.choices[0].message.content


def build_chain():
    llm = ChatOpenAI(model="glm-4.5", base_url="https://api.z.ai/api/paas/v4")
    embeddings = HuggingFaceEmbeddings(model_name="intfloat/multilingual-e5-large")
    local = Ollama(model="qwen2.5:0.5b")
    like = OpenAILike(model="moonshot-v1-8k", api_base="https://api.moonshot.ai/v1")
    return llm, embeddings, local, like


def route(prompt: str):
    model = os.getenv("ROUTER_MODEL", "openrouter/z-ai/glm-4.5-air:free")
    return litellm.completion(model=model, messages=[{"role": "user", "content": prompt}])


router = litellm.Router(model_list=[
    {"model_name": "fast", "litellm_params": {"model": "groq/llama-3.1-8b-instant"}},
])
