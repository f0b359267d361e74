"""Publishers: how each platform takes a post from the site, one module per
platform. A `Platform` class names its publisher (`Platform.publisher`);
`sharing.publishing` runs them as background tasks. Kept apart from
`sharing.platforms` so those stay ~20-line descriptions of share intents and
profile links, while the HTTP code, errors and token refresh live here."""
