print("pillars")
