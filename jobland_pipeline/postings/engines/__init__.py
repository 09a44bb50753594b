"""Job search engines behind one interface: local file, SerpAPI Google Jobs, Exa, ATS boards, RemoteOK."""
