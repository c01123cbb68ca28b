handlers: list = []
