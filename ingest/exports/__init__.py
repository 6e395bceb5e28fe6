"""Committee-meeting exports (ESDH / meeting systems) recognised by their manifests."""
