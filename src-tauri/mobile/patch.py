#!/usr/bin/env python3
"""Apply mysapk's platform tweaks to the mobile projects that `tauri android init` / `tauri ios init` generate
(src-tauri/gen/android, src-tauri/gen/apple are not committed: the workflow generates them, then runs this).

    python3 src-tauri/mobile/patch.py android   # after `tauri android init`
    python3 src-tauri/mobile/patch.py ios       # after `tauri ios init`
    python3 src-tauri/mobile/patch.py android-signing   # only with the signing secrets (see docs/MOBILE.md)

Android: FLAG_SECURE on the activity (a blank preview in the task switcher, no screenshots of personal data), no
cloud backup of the app's data, the committed icon set. The template's activity is edge-to-edge: the status bar is
transparent over the UI's header, which pads itself by env(safe-area-inset-top) (ui/src/app.css).
iOS: a privacy cover over the window while the app is not active (a blank task-switcher snapshot), the camera and
Face ID usage texts, the committed icon set. Deep-link intent filters and associated domains are written by the
deep-link plugin's build from tauri.conf.json, not here.

Idempotent: running it twice changes nothing the second time. Fails loudly when the generated project does not look
as expected (a newer Tauri template), so the workflow stops instead of building an unpatched app.
"""

import glob
import os
import plistlib
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_TAURI = os.path.dirname(HERE)
GEN = os.path.join(SRC_TAURI, "gen")
ICONS = os.path.join(SRC_TAURI, "icons")

MARK = "mysapk-patch"


def fail(msg):
    sys.exit(f"patch.py: {msg}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def one(pattern):
    found = glob.glob(pattern, recursive=True)
    if len(found) != 1:
        fail(f"expected one file for {pattern}, found {found}")
    return found[0]


def copy_tree(src, dst):
    for root, _dirs, files in os.walk(src):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), src)
            target = os.path.join(dst, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(root, name), target)


# --- Android -------------------------------------------------------------------------------------------------------

SECURE = """    // {mark}: a blank preview in the task switcher and no screenshots of personal data.
    window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
""".replace("{mark}", MARK)


def patch_main_activity(path):
    text = read(path)
    if MARK in text:
        return
    package = re.search(r"^package\s+([\w.]+)", text, re.M)
    if not package:
        fail(f"no package line in {path}")
    if "super.onCreate(savedInstanceState)" in text:
        # Before the activity builds its web view, so no frame is ever drawn without the flag.
        text = re.sub(
            r"^([ \t]*)super\.onCreate\(savedInstanceState\)\n",
            lambda m: SECURE + m.group(0),
            text,
            count=1,
            flags=re.M,
        )
    else:
        body = re.search(r"class MainActivity\s*:\s*TauriActivity\(\)\s*(\{\s*\})?", text)
        if not body:
            fail(f"unexpected MainActivity in {path}")
        text = text[: body.start()] + (
            "class MainActivity : TauriActivity() {\n"
            "  override fun onCreate(savedInstanceState: Bundle?) {\n"
            + SECURE
            + "    super.onCreate(savedInstanceState)\n  }\n}"
        ) + text[body.end() :]
    imports = ["import android.os.Bundle", "import android.view.WindowManager"]
    missing = "".join(i + "\n" for i in imports if i not in text)
    first_import = re.search(r"^import ", text, re.M)
    if first_import:
        text = text[: first_import.start()] + missing + text[first_import.start() :]
    else:
        text = re.sub(r"^(package\s+[\w.]+\s*\n)", lambda m: m.group(1) + "\n" + missing, text, count=1, flags=re.M)
    write(path, text)


def patch_manifest(path):
    text = read(path)
    if 'android:allowBackup="false"' in text:
        return
    text, n = re.subn(r'android:allowBackup="true"', 'android:allowBackup="false"', text)
    if n == 0:
        text, n = re.subn(r"<application\b", '<application android:allowBackup="false"', text, count=1)
    if n == 0:
        fail(f"no <application> in {path}")
    write(path, text)


def android():
    root = os.path.join(GEN, "android")
    if not os.path.isdir(root):
        fail("src-tauri/gen/android is missing: run `tauri android init` first")
    main = os.path.join(root, "app", "src", "main")
    patch_main_activity(one(os.path.join(main, "java", "**", "MainActivity.kt")))
    res = os.path.join(main, "res")
    patch_manifest(os.path.join(main, "AndroidManifest.xml"))
    copy_tree(os.path.join(ICONS, "android"), res)
    print("patch.py: android project patched")


SIGNING = """    // {mark}: release signing from keystore.properties (written by the workflow from its secrets, never committed)
    signingConfigs {
        create("release") {
            val keystore = Properties().apply {
                rootProject.file("keystore.properties").inputStream().use { load(it) }
            }
            storeFile = file(keystore.getProperty("storeFile"))
            storePassword = keystore.getProperty("storePassword")
            keyAlias = keystore.getProperty("keyAlias")
            keyPassword = keystore.getProperty("keyPassword")
        }
    }
""".replace("{mark}", MARK)


def android_signing():
    """Sign release builds with the upload key described by gen/android/keystore.properties."""
    root = os.path.join(GEN, "android")
    if not os.path.exists(os.path.join(root, "keystore.properties")):
        fail("src-tauri/gen/android/keystore.properties is missing")
    path = os.path.join(root, "app", "build.gradle.kts")
    text = read(path)
    if MARK in text:
        return
    if "android {\n" not in text or 'getByName("release") {\n' not in text:
        fail(f"unexpected {path}")
    text = text.replace("android {\n", "android {\n" + SIGNING, 1)
    text = text.replace(
        'getByName("release") {\n',
        'getByName("release") {\n            signingConfig = signingConfigs.getByName("release")\n',
        1,
    )
    write(path, text)
    print("patch.py: android release signing configured")


# --- iOS -----------------------------------------------------------------------------------------------------------

COVER = """
// {mark}: while the app is not active (task switcher, a call, Control Centre) a cover hides the window, so the
// system's snapshot shows no personal data; it goes when the app is active again.
#import <UIKit/UIKit.h>

@interface MysapkPrivacyCover : NSObject
@end

@implementation MysapkPrivacyCover
static const NSInteger kMysapkCoverTag = 0x6d797361;

+ (NSArray<UIWindow *> *)windows {
  NSMutableArray<UIWindow *> *all = [NSMutableArray array];
  for (UIScene *scene in [UIApplication sharedApplication].connectedScenes) {
    if ([scene isKindOfClass:[UIWindowScene class]]) {
      [all addObjectsFromArray:((UIWindowScene *)scene).windows];
    }
  }
  if (all.count == 0) {
    // An app without the scene life cycle: its windows are the application's.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
    [all addObjectsFromArray:[UIApplication sharedApplication].windows];
#pragma clang diagnostic pop
  }
  return all;
}

+ (void)cover {
  for (UIWindow *window in [self windows]) {
    if ([window viewWithTag:kMysapkCoverTag] != nil) continue;
    UIView *cover = [[UIView alloc] initWithFrame:window.bounds];
    cover.tag = kMysapkCoverTag;
    cover.autoresizingMask = UIViewAutoresizingFlexibleWidth | UIViewAutoresizingFlexibleHeight;
    cover.backgroundColor = [UIColor colorWithRed:0x1d / 255.0 green:0x4e / 255.0 blue:0xd8 / 255.0 alpha:1.0];
    [window addSubview:cover];
  }
}

+ (void)uncover {
  for (UIWindow *window in [self windows]) {
    [[window viewWithTag:kMysapkCoverTag] removeFromSuperview];
  }
}

+ (void)load {
  NSNotificationCenter *center = [NSNotificationCenter defaultCenter];
  [center addObserverForName:UIApplicationWillResignActiveNotification object:nil queue:[NSOperationQueue mainQueue]
                  usingBlock:^(NSNotification *note) { [MysapkPrivacyCover cover]; }];
  [center addObserverForName:UIApplicationDidBecomeActiveNotification object:nil queue:[NSOperationQueue mainQueue]
                  usingBlock:^(NSNotification *note) { [MysapkPrivacyCover uncover]; }];
}
@end
""".replace("{mark}", MARK)

USAGE = {
    "NSCameraUsageDescription": "MySAPK memakai kamera untuk memindai kode QR Kartu ASN. "
    "(MySAPK uses the camera to scan the QR code of an ASN card.)",
    "NSFaceIDUsageDescription": "MySAPK memakai Face ID untuk membuka kunci aplikasi. "
    "(MySAPK uses Face ID to unlock the app.)",
}


def ios():
    root = os.path.join(GEN, "apple")
    if not os.path.isdir(root):
        fail("src-tauri/gen/apple is missing: run `tauri ios init` first")
    main = one(os.path.join(root, "Sources", "*", "main.mm"))
    text = read(main)
    if MARK not in text:
        write(main, text.rstrip("\n") + "\n" + COVER)
    plist_path = one(os.path.join(root, "*_iOS", "Info.plist"))
    with open(plist_path, "rb") as f:
        plist = plistlib.load(f)
    changed = False
    for key, value in USAGE.items():
        if plist.get(key) != value:
            plist[key] = value
            changed = True
    if changed:
        with open(plist_path, "wb") as f:
            plistlib.dump(plist, f)
    icons = one(os.path.join(root, "Assets.xcassets", "AppIcon.appiconset"))
    copy_tree(os.path.join(ICONS, "ios"), icons)
    print("patch.py: iOS project patched")


if __name__ == "__main__":
    steps = {"android": android, "android-signing": android_signing, "ios": ios}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        fail("usage: patch.py android|android-signing|ios")
    steps[sys.argv[1]]()
