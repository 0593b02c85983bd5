"""(area being built: issue 15)"""
