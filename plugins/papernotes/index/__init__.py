"""The library: entries indexed once per build into authors, tags, anchors, URLs and dates added."""
