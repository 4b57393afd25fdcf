document.body.textContent = "shop";
