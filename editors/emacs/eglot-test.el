;;; eglot-test.el --- Headless check of the README's eglot setup against `gazette serve'  -*- lexical-binding: t -*-

;; Run: GAZETTE_BIN=target/debug/gazette emacs --batch -Q -l editors/emacs/eglot-test.el
;; Opens a copy of the sample corpus with the README's configuration, waits for Gazette's
;; diagnostics through eglot and Flymake, and checks the duplicate's line. Hover and references are
;; checked when the server advertises them. Exits 1 when a check fails.

;;; Code:

;; Debian's elpa-eglot (and the newer project, xref, jsonrpc it needs) live in
;; /usr/share/emacs/site-lisp/elpa, which `emacs -Q' leaves off the load path.
(dolist (directory (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (when (file-directory-p directory)
    (add-to-list 'load-path directory)))
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar gazette-test-failures 0)

(defun gazette-test-check (name ok &optional detail)
  "Report check NAME as passed when OK, failed otherwise (with DETAIL)."
  (if ok
      (princ (format "ok      %s\n" name))
    (setq gazette-test-failures (1+ gazette-test-failures))
    (princ (format "FAILED  %s %s\n" name (or detail "")))))

(defun gazette-test-wait (predicate seconds)
  "Process server output until PREDICATE holds or SECONDS pass; return its value."
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defconst gazette-test-here (file-name-directory (or load-file-name buffer-file-name)))

(defun gazette-test-main ()
  "Run every check."
  (let* ((here gazette-test-here)
         (repo (expand-file-name "../.." here))
         (binary (or (getenv "GAZETTE_BIN") (expand-file-name "target/debug/gazette" repo)))
         (workspace (file-name-as-directory (make-temp-file "gazette-eglot-" t))))
    (dolist (file (directory-files (expand-file-name "examples/sample-corpus" repo) t "\\.txt\\'"))
      (copy-file file workspace))
    (with-temp-file (expand-file-name "gazette.toml" workspace))

    ;; The README's configuration, verbatim apart from the binary's path.
    (add-to-list 'eglot-server-programs `(text-mode . (,binary "serve")))
    (defun gazette-project (directory)
      (let ((root (locate-dominating-file directory "gazette.toml")))
        (and root (cons 'transient root))))
    (add-hook 'project-find-functions #'gazette-project)

    (find-file (expand-file-name "001_a9298164ea9b0dd7.txt" workspace))
    (text-mode)
    (gazette-test-check "the corpus is the project"
                        (equal (file-name-as-directory (expand-file-name (cdr (project-current))))
                               (expand-file-name workspace)))
    ;; `eglot-ensure' waits for the command loop, which batch mode never enters: start directly.
    (apply #'eglot (eglot--guess-contact))
    (gazette-test-check "eglot manages the buffer"
                        (gazette-test-wait (lambda () (eglot-current-server)) 15))
    (flymake-mode 1)
    (let ((lines
           (gazette-test-wait
            (lambda ()
              (flymake-start)
              (accept-process-output nil 0.1)
              (let ((found (cl-loop for diagnostic in (flymake-diagnostics)
                                    when (string-match-p "\\[GZ00[1-4]\\]" (flymake-diagnostic-text diagnostic))
                                    collect (line-number-at-pos (flymake-diagnostic-beg diagnostic)))))
                (and found (sort found #'<))))
            20)))
      (gazette-test-check "duplicate diagnostics arrive through Flymake" lines)
      ;; Lines 10-14 repeat lines 5-9.
      (gazette-test-check "the first duplicate is on line 10" (equal (car lines) 10) (format "%S" lines))
      (gazette-test-check "all duplicates are inside lines 10-14"
                          (and lines (cl-every (lambda (line) (<= 10 line 14)) lines)) (format "%S" lines)))

    (find-file (expand-file-name "000_9c21d3f726678668.txt" workspace))
    (text-mode)
    (apply #'eglot (eglot--guess-contact))
    (goto-char (point-min))
    (forward-line 7)                      ; "Da Nang People's Committee ..."
    (forward-char 3)
    (if (eglot--server-capable :hoverProvider)
        (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                      (eglot--TextDocumentPositionParams))))
          (gazette-test-check "hover on a locality names it"
                              (string-match-p "Da Nang\\|Đà Nẵng\\|DA NANG" (format "%S" hover)) (format "%S" hover)))
      (princ "pending hover (the server does not advertise hoverProvider)\n"))
    (if (eglot--server-capable :referencesProvider)
        (let* ((references (jsonrpc-request (eglot-current-server) :textDocument/references
                                            (append (eglot--TextDocumentPositionParams)
                                                    '(:context (:includeDeclaration t)))))
               (documents (delete-dups (mapcar (lambda (location)
                                                 (file-name-nondirectory (eglot--uri-to-path (plist-get location :uri))))
                                               references))))
          (gazette-test-check "references span several documents" (> (length documents) 1) (format "%S" documents)))
      (princ "pending references (the server does not advertise referencesProvider)\n"))

    (ignore-errors (eglot-shutdown (eglot-current-server)))
    (delete-directory workspace t)
    (princ (format "%d failed\n" gazette-test-failures))
    (kill-emacs (if (> gazette-test-failures 0) 1 0))))

(condition-case err
    (gazette-test-main)
  (error
   (princ (format "FAILED  (test script) %s\n" (error-message-string err)))
   (kill-emacs 1)))

;;; eglot-test.el ends here
