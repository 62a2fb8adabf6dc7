print("fairwayd")
