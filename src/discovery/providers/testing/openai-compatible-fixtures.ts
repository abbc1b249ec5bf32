/**
 * `GET /v1/models` answers in the shapes OpenAI documents (`{ object: 'list', data: [model] }`)
 * and the extras vLLM (`max_model_len`, `root`, `parent`, `permission`) and llama.cpp's server
 * (`meta`) add; written from their documentation and sources, values abridged.
 */

export const OPENAI_MODELS = {
  object: 'list',
  data: [
    { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
    { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
    { id: 'whisper-1', object: 'model', created: 1677532384, owned_by: 'openai-internal' },
    { id: 'tts-1', object: 'model', created: 1681940951, owned_by: 'openai-internal' },
    { id: 'dall-e-3', object: 'model', created: 1698785189, owned_by: 'system' },
  ],
} as const;

export const VLLM_MODELS = {
  object: 'list',
  data: [
    {
      id: 'Qwen/Qwen2.5-1.5B-Instruct',
      object: 'model',
      created: 1735689600,
      owned_by: 'vllm',
      root: 'Qwen/Qwen2.5-1.5B-Instruct',
      parent: null,
      max_model_len: 32768,
      permission: [
        {
          id: 'modelperm-2f6c8b3e4d5a4b7c',
          object: 'model_permission',
          created: 1735689600,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    },
    {
      id: 'my-lora',
      object: 'model',
      created: 1735689600,
      owned_by: 'vllm',
      root: '/adapters/my-lora',
      parent: 'Qwen/Qwen2.5-1.5B-Instruct',
      max_model_len: null,
      permission: [],
    },
  ],
} as const;

export const LLAMA_CPP_MODELS = {
  object: 'list',
  data: [
    {
      id: 'models/qwen2.5-0.5b-instruct-q8_0.gguf',
      object: 'model',
      created: 1735689600,
      owned_by: 'llamacpp',
      meta: {
        vocab_type: 2,
        n_vocab: 151936,
        n_ctx_train: 32768,
        n_embd: 896,
        n_params: 494032768,
        size: 531066880,
      },
    },
    {
      id: 'models/nomic-embed-text-v1.5.f16.gguf',
      object: 'model',
      created: 1735689600,
      owned_by: 'llamacpp',
      meta: {
        vocab_type: 3,
        n_vocab: 30522,
        n_ctx_train: 2048,
        n_embd: 768,
        n_params: 136727040,
        size: 273454080,
      },
    },
  ],
} as const;
