// Models offered in the picker. 'qwen/qwen3-32b' was removed in v2.
export const MODELS = [
  { id: 'z-ai/glm-4.5-air', name: 'GLM 4.5 Air', provider: 'Z.ai' },
  { id: 'anthropic/claude-sonnet-4.5', name: 'Claude Sonnet 4.5', provider: 'Anthropic' },
];

export enum OpenRouterModel {
  MINIMAX = "minimax/minimax-m2:free",
  /* KIMI = "moonshotai/kimi-k2", */
}

export const defaultModel = "openai/gpt-4o";
const repoUrl = "github.com/example/app";
