/* Live refresh runs while `interlude watch` does: it puts its script here. This site was made by `interlude build`, so open pages look for no changes. */
