const body = JSON.stringify({ model: "deepseek/deepseek-chat-v3.1:free", messages });
