<?php
/* upload.php: a PHP page that mints a Quire upload token server-side and
 * shows a plain upload form, then, when Quire sends the browser back,
 * the result and the processing progress (docs/form-upload.md). The API
 * key stays on the server: the browser only ever sees the token, which
 * works for this form, for a short time, and (here) once.
 * Runs as shared hosts run PHP (CGI or FastCGI), with no extension but
 * the standard ones: HTTP through file_get_contents.
 * Settings, from the environment or edited below:
 *   QUIRE_URL  Quire's base URL as the server reaches it
 *              (https://kb.example.com or https://example.com/kb)
 *   QUIRE_PUBLIC_URL  the same as browsers reach it, when it differs
 *   QUIRE_KEY  an API key with the write scope (keep it out of the web root
 *              in real use: a config file outside it, or the environment)
 * Quire's form_redirect_allow setting must list this page's URL.
 * SPDX-License-Identifier: GPL-3.0-or-later */

$quire = rtrim(getenv('QUIRE_URL') ?: 'https://kb.example.com', '/');
$key = getenv('QUIRE_KEY') ?: 'sk_live_...';

function h($s) { return htmlspecialchars((string)$s, ENT_QUOTES, 'UTF-8'); }

/* One JSON request to Quire; [status, decoded body]. */
function quire($method, $url, $key = null, $body = null) {
    $headers = "Accept: application/json\r\n";
    if ($key !== null)
        $headers .= "Authorization: Bearer $key\r\n";
    if ($body !== null)
        $headers .= "Content-Type: application/json\r\n";
    $ctx = stream_context_create(['http' => [
        'method' => $method, 'header' => $headers, 'ignore_errors' => true, 'timeout' => 10,
        'content' => $body === null ? '' : json_encode($body)]]);
    $text = @file_get_contents($url, false, $ctx);
    $status = 0;
    foreach ($http_response_header ?? [] as $line)
        if (preg_match('#^HTTP/\S+ (\d+)#', $line, $m))
            $status = (int)$m[1];
    return [$status, $text === false ? null : json_decode($text, true)];
}

/* This page's own absolute URL, without a query. */
$scheme = (!empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off') ? 'https' : 'http';
$self = $scheme . '://' . $_SERVER['HTTP_HOST'] . strtok($_SERVER['REQUEST_URI'], '?');

session_start();
$title = 'Upload documents';
ob_start();
if (isset($_GET['status'])) {
    /* Back from Quire: the outcome is in the query. */
    if ($_GET['status'] === 'ok') {
        $title = 'Upload received';
        $ids = preg_replace('/[^0-9a-f,-]/', '', $_GET['documents'] ?? '');
        $token = $_SESSION['quire_token'] ?? '';
        [$st, $s] = quire('GET', "$quire/forms/status?format=json&documents=" . urlencode($ids) .
                          '&token=' . urlencode($token));
        $done = $st === 200 && !empty($s['done']);
        if (!$done)
            header('Refresh: 2');
        echo '<p role="status" aria-live="polite">',
             $done ? 'Your documents are ready.' : 'Your documents are being processed.', "</p>\n";
        echo "<table>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n";
        foreach (($s['documents'] ?? []) as $d)
            echo '<tr><td>', h($d['name']), '</td><td class="status">', h($d['status']),
                 $d['error'] ? ': ' . h($d['error']) : '', "</td></tr>\n";
        echo "</tbody>\n</table>\n";
    } else {
        $title = 'The upload failed';
        echo '<p role="alert">', h($_GET['message'] ?? 'The upload failed.'),
             ' (<code>', h($_GET['error'] ?? 'error'), "</code>)</p>\n";
    }
    echo '<p><a href="', h($self), "\">Upload more</a></p>\n";
} else {
    /* Mint a single-use token for this view of the form. */
    [$st, $t] = quire('POST', "$quire/api/v1/upload-tokens", $key, [
        'redirect_url' => $self, 'expires_in' => 900, 'single_use' => true, 'max_files' => 5,
    ]);
    if ($st !== 201) {
        http_response_code(502);
        $title = 'Uploads are not available';
        echo '<p role="alert">', h($t['error']['message'] ?? 'Quire did not answer.'), "</p>\n";
    } else {
        $_SESSION['quire_token'] = $t['token'];
        $action = $t['action'];
        $public = getenv('QUIRE_PUBLIC_URL');
        if ($public && strpos($action, $quire) === 0)
            $action = rtrim($public, '/') . substr($action, strlen($quire));
        echo '<form action="', h($action), '" method="post" enctype="multipart/form-data">', "\n",
             '<input type="hidden" name="token" value="', h($t['token']), "\">\n",
             '<p><label for="file">Files (up to 5)</label><br>', "\n",
             '<input type="file" id="file" name="file" multiple required></p>', "\n",
             '<p><button type="submit">Upload</button></p>', "\n</form>\n";
    }
}
$body = ob_get_clean();
?><!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?= h($title) ?></title>
</head>
<body>
<main>
<h1><?= h($title) ?></h1>
<?= $body ?>
</main>
</body>
</html>
