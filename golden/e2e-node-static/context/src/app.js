// ROUTES (path -> rendered HTML) is prepended by build.js.
function show(path) {
  const html = ROUTES[path];
  document.getElementById("page").innerHTML = html || "<h1>Not found</h1>";
}
document.addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (link && link.origin === location.origin) {
    event.preventDefault();
    history.pushState(null, "", link.pathname);
    show(link.pathname);
  }
});
window.addEventListener("popstate", () => show(location.pathname));
show(location.pathname);
