print("model-catalog: in progress")
