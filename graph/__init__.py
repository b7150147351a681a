"""The graph model, the store interface and its two stores."""
