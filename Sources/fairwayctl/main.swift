print("fairwayctl")
